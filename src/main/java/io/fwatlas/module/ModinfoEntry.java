package io.fwatlas.module;

import java.io.Serializable;

/** One {@code key=value} string of a {@code .modinfo} section; a string without '=' has an empty value. */
public record ModinfoEntry(String key, String value) implements Serializable {
}
