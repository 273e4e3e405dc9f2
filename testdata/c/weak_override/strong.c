int config_value = 42;
const char *backend_name(void) { return "strong backend"; }
