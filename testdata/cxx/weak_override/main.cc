// Weak and strong C++ definitions across objects and archives.
void show();
int main()
{
	show();
	return 0;
}
