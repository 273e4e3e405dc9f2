typedef int (*binop)(int, int);
int op_add(int, int);
int op_sub(int, int);
int op_mul(int, int);
int op_div(int, int);
extern binop other_table[4];
int apply_all(int, int);
