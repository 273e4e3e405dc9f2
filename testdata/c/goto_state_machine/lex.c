/* hand-written lexer as a goto state machine */
int lex(const char *s, void (*emit)(const char *kind, const char *start, int len))
{
	const char *start;
	int errors = 0;
start:
	start = s;
	switch (*s) {
	case 0: case '\n': goto done;
	case ' ': case '\t': s++; goto start;
	case '0' ... '9': goto number;
	case 'a' ... 'z': case 'A' ... 'Z': case '_': goto ident;
	case '"': s++; goto string;
	case '+': case '-': case '*': case '/': case '=': case '(': case ')': case ',':
		s++;
		emit("op", start, 1);
		goto start;
	default:
		s++;
		errors++;
		emit("error", start, 1);
		goto start;
	}
number:
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		goto fraction;
	}
	emit("int", start, (int)(s - start));
	goto start;
fraction:
	while (*s >= '0' && *s <= '9')
		s++;
	emit("float", start, (int)(s - start));
	goto start;
ident:
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')
		s++;
	emit("ident", start, (int)(s - start));
	goto start;
string:
	if (*s == '\\' && s[1]) {
		s += 2;
		goto string;
	}
	if (*s == '"') {
		s++;
		emit("string", start, (int)(s - start));
		goto start;
	}
	if (*s == 0 || *s == '\n') {
		errors++;
		emit("unterm", start, (int)(s - start));
		goto done;
	}
	s++;
	goto string;
done:
	return errors;
}
