// std::variant, std::optional, std::any across objects, with their exceptions
// (bad_variant_access, bad_optional_access, bad_any_cast) and visitation.
#include <any>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

using Value = std::variant<std::monostate, long, double, std::string>;
std::optional<long> parse_long(const std::string &s);
Value classify(const std::string &s);
std::map<std::string, std::any> settings();

template <class... F> struct overloaded : F... {
	using F::operator()...;
};
template <class... F> overloaded(F...) -> overloaded<F...>;

int main()
{
	for (const char *s : {"42", "-7", "3.25", "hello", "", "12a"}) {
		Value v = classify(s);
		std::visit(overloaded{[&](std::monostate) { std::printf("'%s': empty\n", s); },
		                      [&](long l) { std::printf("'%s': long %ld\n", s, l); },
		                      [&](double d) { std::printf("'%s': double %g\n", s, d); },
		                      [&](const std::string &str) { std::printf("'%s': string of %zu\n", s, str.size()); }},
		           v);
		try {
			std::printf("  as long: %ld\n", std::get<long>(v));
		} catch (const std::bad_variant_access &e) {
			std::printf("  bad_variant_access: %s (index %zu)\n", e.what(), v.index());
		}
	}
	try {
		std::printf("%ld\n", parse_long("x1").value());
	} catch (const std::bad_optional_access &e) {
		std::printf("bad_optional_access: %s\n", e.what());
	}
	std::printf("value_or: %ld\n", parse_long("").value_or(-1));
	auto st = settings();
	for (auto &kv : st) {
		const std::any &a = kv.second;
		if (auto *s = std::any_cast<std::string>(&a))
			std::printf("%s = \"%s\"\n", kv.first.c_str(), s->c_str());
		else if (auto *i = std::any_cast<int>(&a))
			std::printf("%s = %d\n", kv.first.c_str(), *i);
		else if (auto *d = std::any_cast<double>(&a))
			std::printf("%s = %g\n", kv.first.c_str(), *d);
		else
			std::printf("%s has type %s\n", kv.first.c_str(), a.type() == typeid(bool) ? "bool" : "?");
	}
	try {
		std::printf("%d\n", std::any_cast<int>(st["name"]));
	} catch (const std::bad_any_cast &e) {
		std::printf("bad_any_cast: %s\n", e.what());
	}
	return 0;
}
