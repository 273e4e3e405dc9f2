void push(double v);
double pop(void);
int depth(void);
void clear(void);
extern int stack_errors;
int apply_op(const char *tok);
