int add(int a, int b);
int mul(int a, int b);
const char *greet(const char *who);
extern int main_counter;
extern int ops_calls;
