package io.fwatlas.module;

/** Names for ELF e_machine values that Linux modules are built for. */
public final class Machines {
    private Machines() {
    }

    public static String name(int machine) {
        switch (machine) {
            case 2: return "sparc";
            case 3: return "i386";
            case 4: return "m68k";
            case 8: return "mips";
            case 15: return "parisc";
            case 20: return "ppc";
            case 21: return "ppc64";
            case 22: return "s390";
            case 40: return "arm";
            case 42: return "sh";
            case 43: return "sparc64";
            case 50: return "ia64";
            case 62: return "x86_64";
            case 94: return "xtensa";
            case 183: return "aarch64";
            case 243: return "riscv";
            case 258: return "loongarch";
            case 0x9026: return "alpha";
            default: return "unknown(" + machine + ")";
        }
    }
}
