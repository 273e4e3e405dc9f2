/* Fragments placed in .init and .fini: each is a call, run as part of _init/_fini. */
__asm__(".section .init,\"ax\",@progbits\n"
        "\tcall frag_init_hook\n"
        ".section .fini,\"ax\",@progbits\n"
        "\tcall frag_fini_hook\n"
        ".text\n");
