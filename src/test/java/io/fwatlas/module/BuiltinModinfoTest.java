package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinModinfoTest {

    @Test
    void fixtureGroupsByModuleAndRejectsMalformedStringsOneByOne() {
        String path = "/lib/modules/6.1.0-18-amd64/modules.builtin.modinfo";
        BuiltinModinfo.Result r = BuiltinModinfo.parse(path, Fixtures.bytes("modules.builtin.modinfo"));
        assertEquals(List.of("nodot=x.y", ".x=empty module name"), r.rejected());
        assertEquals(2, r.modules().size());

        ModuleInfo fwa = r.modules().get(0);
        assertEquals("fwa", fwa.name());
        assertTrue(fwa.builtin());
        assertEquals(path, fwa.path());
        assertEquals(0, fwa.elfClass());
        assertNull(fwa.machine());
        assertNull(fwa.signature());
        // A module's strings need not be contiguous: the late description still belongs to fwa.
        assertEquals(List.of(
                new ModinfoEntry("license", "GPL"),
                new ModinfoEntry("firmware", "fwatlas/builtin-a.bin"),
                new ModinfoEntry("firmware", "fwatlas/builtin-a.bin"),
                new ModinfoEntry("description", "after fwb")), fwa.entries());

        ModuleInfo fwb = r.modules().get(1);
        assertEquals("fwb", fwb.name());
        assertEquals(List.of(
                new ModinfoEntry("firmware", "fwatlas/builtin-b.bin"),
                new ModinfoEntry("alias", "fs-fwb"),
                new ModinfoEntry("noequals", "")), fwb.entries());
        assertEquals(List.of("fwatlas/builtin-b.bin"), fwb.firmware());
    }

    @Test
    void dotAfterTheEqualsDoesNotCount() {
        BuiltinModinfo.Result r = parse("a=b.c\0m.k=v.w");
        assertEquals(List.of("a=b.c"), r.rejected());
        assertEquals(List.of(new ModinfoEntry("k", "v.w")), r.modules().get(0).entries());
    }

    @Test
    void firstDotSplitsModuleFromKey() {
        BuiltinModinfo.Result r = parse("\0\0snd.x.y=1\0");
        assertEquals("snd", r.modules().get(0).name());
        assertEquals(List.of(new ModinfoEntry("x.y", "1")), r.modules().get(0).entries());
        assertEquals(List.of(), r.rejected());
    }

    @Test
    void emptyFile() {
        BuiltinModinfo.Result r = parse("");
        assertEquals(List.of(), r.modules());
        assertEquals(List.of(), r.rejected());
    }

    private static BuiltinModinfo.Result parse(String s) {
        return BuiltinModinfo.parse("modules.builtin.modinfo", s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
