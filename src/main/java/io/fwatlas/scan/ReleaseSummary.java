package io.fwatlas.scan;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * What the driver learns of a listed release: its counts, its packing cost and its fingerprint,
 * a few hundred bytes whatever the number of its files.
 *
 * @param files            module and built-in files listed (listing errors not counted)
 * @param cost             the sum of {@link Packing#cost} over every listed record
 * @param records          every listed record, errors included: what the release's bins hold
 * @param linksNotFollowed directory links out of the release that were not followed
 */
public record ReleaseSummary(int index, String kernel, long files, long records, long bytes, long cost,
                             int linksNotFollowed, ReleaseManifest manifest) implements Serializable {

    /** Executor side: the summary of one listed release, with its content digest when {@code digest}. */
    static ReleaseSummary of(ListedRelease l, long maxModuleSize, boolean digest, Configuration conf) {
        long files = 0;
        long bytes = 0;
        long cost = 0;
        for (FileTask t : l.files()) {
            cost += Packing.cost(t);
            if (t.kind() != FileTask.Kind.LIST_ERROR) {
                files++;
                bytes += Math.max(0, t.size());
            }
        }
        String d = digest ? ReleaseDigest.digest(l.files(), conf) : null;
        String kernel = l.release().kernel();
        return new ReleaseSummary(l.index(), kernel, files, l.files().size(), bytes, cost, l.linksNotFollowed(),
                ReleaseManifest.of(kernel, l.files(), maxModuleSize, d));
    }
}
