package io.fwatlas.scan;

import java.io.Serializable;
import java.util.List;

/**
 * What stage 1 found in one release ({@link ReleaseLister#list}).
 *
 * @param files            the module files and {@code modules.builtin.modinfo}, in listing order,
 *                         with any listing error as a {@link FileTask.Kind#LIST_ERROR} task
 * @param linksNotFollowed links that were not followed and may have led to a directory: a link
 *                         to a directory outside the release (Debian's {@code build} and
 *                         {@code source}, a Nix-style {@code kernel} link into a store) and a
 *                         link, not named like a module, that leads nowhere or cannot be
 *                         resolved. Always 0 for a Hadoop listing (no links there).
 */
public record Listing(List<FileTask> files, int linksNotFollowed) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Listing {
        files = List.copyOf(files);
        if (linksNotFollowed < 0) {
            throw new IllegalArgumentException("linksNotFollowed " + linksNotFollowed + " < 0");
        }
    }
}
