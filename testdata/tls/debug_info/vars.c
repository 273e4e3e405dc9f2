/* Compiled with -g in every mode: the debug info describes these thread-locals with
 * DW_OP_const8u/DW_OP_form_tls_address and R_X86_64_DTPOFF64/DTPOFF32 relocations. */
__thread int dbg_int = 3;
__thread double dbg_dbl;
static __thread char dbg_buf[32] = "debug";
char *dbg_buf_addr(void) { return dbg_buf; }
