-- For each firmware name matching a LIKE pattern: the first and last kernel that references it
-- and how many kernels between them (inclusive, among all kernels) do not. "First", "last" and
-- "between" use the kernel string's order, not release order, and mix flavours; `fwatlas query
-- history` does both properly. Set the pattern in params.
WITH params AS (SELECT 'iwlwifi-%' AS pattern),
refs AS (SELECT DISTINCT firmware, kernel FROM firmware, params WHERE firmware LIKE params.pattern),
span AS (SELECT firmware, min(kernel) AS first_kernel, max(kernel) AS last_kernel,
                count(*) AS kernels
         FROM refs GROUP BY firmware),
all_kernels AS (SELECT DISTINCT kernel FROM modules),
gaps AS (SELECT s.firmware, count(*) AS gaps
         FROM span s
         JOIN all_kernels k ON k.kernel > s.first_kernel AND k.kernel < s.last_kernel
         LEFT JOIN refs r ON r.firmware = s.firmware AND r.kernel = k.kernel
         WHERE r.kernel IS NULL
         GROUP BY s.firmware)
SELECT s.firmware, s.first_kernel, s.last_kernel, s.kernels, coalesce(g.gaps, 0) AS gaps
FROM span s LEFT JOIN gaps g ON g.firmware = s.firmware
ORDER BY s.firmware;
