package io.fwatlas.query;

import io.fwatlas.module.Modalias;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices of {@code fwatlas query device}: modalias strings as the kernel prints them in
 * {@code /sys/.../modalias}, each kept as given and in kmod's normalised form. A string given
 * twice counts once, at its first place.
 */
public final class DeviceList implements Serializable {
    /** The longest line read as a modalias, in bytes; sysfs prints at most a page. */
    public static final int MAX_LINE_BYTES = 4096;
    /** The most devices one query takes: each is broadcast to every executor. */
    public static final int MAX_DEVICES = 1_000_000;

    private final List<String> given;
    private final List<String> normalized;

    private DeviceList(Map<String, String> devices) {
        this.given = List.copyOf(devices.keySet());
        this.normalized = List.copyOf(devices.values());
    }

    /** The modaliases given on the command line. */
    public static DeviceList of(List<String> arguments) {
        Map<String, String> devices = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            add(devices, a, "modalias " + (i + 1) + " ('" + printable(a) + "')");
        }
        return checked(devices, "no modalias given");
    }

    /**
     * Reads the modaliases of {@code file} ({@code -}: {@code stdin}), given with {@code option};
     * a missing file, a directory or text that is not UTF-8 is refused with one line.
     */
    public static DeviceList read(String option, String file, InputStream stdin) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (file.equals("-")) {
            try {
                return read(new BufferedReader(new InputStreamReader(stdin, utf8)), "standard input");
            } catch (IOException e) {
                throw QueryException.usage("cannot read standard input: " + e.getMessage());
            }
        }
        Path p = Paths.get(file);
        if (Files.isDirectory(p)) {
            throw QueryException.usage(option + " " + file + " is a directory");
        }
        try (InputStream in = Files.newInputStream(p)) {
            return read(new BufferedReader(new InputStreamReader(in, utf8)), file);
        } catch (NoSuchFileException e) {
            throw QueryException.usage(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw QueryException.usage("cannot read " + option + " " + file + ": " + e.getMessage());
        }
    }

    /**
     * One modalias per line, as {@code cat /sys/bus/x/devices/y/modalias} prints them; blank lines
     * and lines starting with {@code #} are skipped; a CR before the line end is dropped. A line is
     * never read past {@link #MAX_LINE_BYTES}, so a file without line ends cannot fill the heap.
     */
    public static DeviceList read(Reader in, String name) throws IOException {
        Map<String, String> devices = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder();
        int number = 0;
        boolean more = true;
        while (more) {
            number++;
            line.setLength(0);
            try {
                more = readLine(in, line);
            } catch (CharacterCodingException e) {
                throw QueryException.usage(name + " line " + number + ": not UTF-8 text");
            }
            if (line.length() > MAX_LINE_BYTES) {
                throw QueryException.usage(name + " line " + number + ": longer than " + MAX_LINE_BYTES
                        + " bytes; a modalias is at most " + MAX_LINE_BYTES);
            }
            if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                line.setLength(line.length() - 1);
            }
            String s = line.toString().strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (devices.size() == MAX_DEVICES) {
                throw QueryException.usage(name + " line " + number + ": more than " + MAX_DEVICES
                        + " modaliases; split the list");
            }
            add(devices, s, name + " line " + number);
        }
        return checked(devices, name + " holds no modalias (only blank lines and # comments)");
    }

    /** Reads up to a line end into {@code line}, at most one char past the limit; false at the end of input. */
    private static boolean readLine(Reader in, StringBuilder line) throws IOException {
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return true;
            }
            line.append((char) c);
            if (line.length() > MAX_LINE_BYTES) {
                return true;
            }
        }
        return false;
    }

    private static void add(Map<String, String> devices, String modalias, String where) {
        int bytes = modalias.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_LINE_BYTES) {
            throw QueryException.usage(where + ": " + bytes + " bytes long; a modalias is at most "
                    + MAX_LINE_BYTES);
        }
        for (int i = 0; i < modalias.length(); i++) {
            char c = modalias.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw QueryException.usage(where + ": control character 0x" + String.format("%02x", (int) c)
                        + " at column " + (i + 1) + "; a modalias is one line of printable text");
            }
        }
        if (modalias.isBlank()) {
            throw QueryException.usage(where + ": empty modalias");
        }
        String n = Modalias.normalize(modalias);
        if (n == null) {
            throw QueryException.usage(where + ": not a valid modalias: a ']' without its '[', or a '[' that is "
                    + "never closed (kmod refuses it)");
        }
        devices.putIfAbsent(modalias, n);
    }

    private static DeviceList checked(Map<String, String> devices, String emptyMessage) {
        if (devices.isEmpty()) {
            throw QueryException.usage(emptyMessage);
        }
        return new DeviceList(devices);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 60; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 60 ? b + "..." : b.toString();
    }

    /** The modaliases as given, in order. */
    public List<String> given() {
        return Collections.unmodifiableList(given);
    }

    /** The same, normalised as kmod's {@code alias_normalize()} does. */
    public List<String> normalized() {
        return Collections.unmodifiableList(normalized);
    }

    public int size() {
        return given.size();
    }
}
