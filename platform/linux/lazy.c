// Lazy linking (orcrt --lazy): the resolver trampoline that a lazily linked function's stub
// reaches on its first call, and an exit hook for statistics.
//
// A lazy stub is 16 bytes:
//
//	jmp *slot(%rip)          ; the slot first holds the address of the next instruction
//	push $index              ; which function (orcrt's process-wide lazy index)
//	jmp jitrun_lazy_entry
//
// jitrun_lazy_entry runs with the callee's arguments live: it saves every register the
// SysV ABI passes arguments in (rdi, rsi, rdx, rcx, r8, r9, rax for varargs, r10 for a
// static chain) and the whole extended state with XSAVE (xmm/ymm/zmm arguments, x87, mxcsr;
// size from CPUID, see glue.c), calls into Go (jitrunLazyResolve), which links the object
// and patches the slot, restores everything and jumps to the function with the stack
// exactly as the caller left it (its return address on top). r11 is the only register it
// clobbers, as a PLT stub may.
#include <stdint.h>
#include <stdlib.h>

extern unsigned long jitrun_xsave_size; // glue.c

__asm__(".text\n"
        ".globl jitrun_lazy_entry\n"
        ".type jitrun_lazy_entry,@function\n"
        "jitrun_lazy_entry:\n"
        "	.cfi_startproc\n"
        "	.cfi_adjust_cfa_offset 8\n"              /* the pushed index */
        "	pushq %rbp\n	.cfi_adjust_cfa_offset 8\n	.cfi_offset %rbp, -24\n"
        "	movq %rsp, %rbp\n	.cfi_def_cfa_register %rbp\n"
        "	pushq %rdi\n	pushq %rsi\n	pushq %rdx\n	pushq %rcx\n"
        "	pushq %r8\n	pushq %r9\n	pushq %r10\n	pushq %rax\n"   /* rsp = rbp-64 */
        "	movq jitrun_xsave_size(%rip), %rcx\n"
        "	testq %rcx, %rcx\n"
        "	jz 1f\n"
        "	subq %rcx, %rsp\n"
        "	andq $-64, %rsp\n"
        "	xorl %eax, %eax\n"                      /* XRSTOR needs a clean XSAVE header */
        "	movq %rax, 512(%rsp)\n	movq %rax, 520(%rsp)\n	movq %rax, 528(%rsp)\n	movq %rax, 536(%rsp)\n"
        "	movq %rax, 544(%rsp)\n	movq %rax, 552(%rsp)\n	movq %rax, 560(%rsp)\n	movq %rax, 568(%rsp)\n"
        "	movl $-1, %eax\n	movl $-1, %edx\n"
        "	xsave64 (%rsp)\n"
        "	jmp 2f\n"
        "1:	subq $128, %rsp\n"
        "	andq $-16, %rsp\n"
        "	movdqu %xmm0, 0(%rsp)\n	movdqu %xmm1, 16(%rsp)\n	movdqu %xmm2, 32(%rsp)\n	movdqu %xmm3, 48(%rsp)\n"
        "	movdqu %xmm4, 64(%rsp)\n	movdqu %xmm5, 80(%rsp)\n	movdqu %xmm6, 96(%rsp)\n	movdqu %xmm7, 112(%rsp)\n"
        "2:	andq $-16, %rsp\n"
        "	movq 8(%rbp), %rdi\n"                   /* the index */
        "	call jitrunLazyResolve@PLT\n"
        "	movq %rax, %r11\n"                      /* the function's address */
        "	movq jitrun_xsave_size(%rip), %rcx\n"
        "	testq %rcx, %rcx\n"
        "	jz 3f\n"
        "	leaq -64(%rbp), %rsp\n"
        "	subq %rcx, %rsp\n"
        "	andq $-64, %rsp\n"
        "	movl $-1, %eax\n	movl $-1, %edx\n"
        "	xrstor64 (%rsp)\n"
        "	jmp 4f\n"
        "3:	leaq -64(%rbp), %rsp\n"
        "	subq $128, %rsp\n"
        "	andq $-16, %rsp\n"
        "	movdqu 0(%rsp), %xmm0\n	movdqu 16(%rsp), %xmm1\n	movdqu 32(%rsp), %xmm2\n	movdqu 48(%rsp), %xmm3\n"
        "	movdqu 64(%rsp), %xmm4\n	movdqu 80(%rsp), %xmm5\n	movdqu 96(%rsp), %xmm6\n	movdqu 112(%rsp), %xmm7\n"
        "4:	leaq -64(%rbp), %rsp\n"
        "	popq %rax\n	popq %r10\n	popq %r9\n	popq %r8\n"
        "	popq %rcx\n	popq %rdx\n	popq %rsi\n	popq %rdi\n"
        "	popq %rbp\n	.cfi_def_cfa %rsp, 16\n"
        "	addq $8, %rsp\n	.cfi_def_cfa_offset 8\n"   /* drop the index */
        "	jmp *%r11\n"
        "	.cfi_endproc\n"
        ".size jitrun_lazy_entry, .-jitrun_lazy_entry\n");

extern char jitrun_lazy_entry[];
uintptr_t jitrun_lazy_entry_addr(void) { return (uintptr_t)jitrun_lazy_entry; }

extern void jitrunLazyAtExit(void);
static void lazy_at_exit(void) { jitrunLazyAtExit(); }

// jitrun_lazy_at_exit registers the exit hook; registered before the program's main, it runs
// after the program's own atexit handlers.
void jitrun_lazy_at_exit(void) { atexit(lazy_at_exit); }
