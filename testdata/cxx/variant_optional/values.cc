#include <any>
#include <map>
#include <optional>
#include <string>
#include <variant>

using Value = std::variant<std::monostate, long, double, std::string>;

std::optional<long> parse_long(const std::string &s)
{
	if (s.empty())
		return std::nullopt;
	size_t i = s[0] == '-';
	long v = 0;
	for (; i < s.size(); i++) {
		if (s[i] < '0' || s[i] > '9')
			return {};
		v = v * 10 + (s[i] - '0');
	}
	return s[0] == '-' ? -v : v;
}

Value classify(const std::string &s)
{
	if (s.empty())
		return std::monostate{};
	if (auto l = parse_long(s))
		return *l;
	if (s.find('.') != std::string::npos)
		return std::stod(s);
	return s;
}

std::map<std::string, std::any> settings()
{
	return {{"name", std::string("jitrun")}, {"threads", 2}, {"ratio", 1.5}, {"flag", true}};
}
