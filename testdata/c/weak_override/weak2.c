/* a second weak definition; the first weak one (or a strong one) wins */
__attribute__((weak)) int config_value = 2;
__attribute__((weak)) int fallback_only(void) { return 11; }

int other_weak_user(void)
{
	return config_value * 100 + fallback_only();
}
