-- Firmware added and removed from kernel k1 to k2, each with a module that references it
-- (one row per firmware and module). Set the two kernels in params.
WITH params AS (SELECT '6.1.0-18-amd64' AS k1, '6.12.9+deb13-amd64' AS k2),
a AS (SELECT DISTINCT module, firmware FROM firmware, params WHERE kernel = params.k1),
b AS (SELECT DISTINCT module, firmware FROM firmware, params WHERE kernel = params.k2)
SELECT 'added' AS change, b.firmware, b.module
FROM b WHERE b.firmware NOT IN (SELECT firmware FROM a)
UNION ALL
SELECT 'removed' AS change, a.firmware, a.module
FROM a WHERE a.firmware NOT IN (SELECT firmware FROM b)
ORDER BY change, firmware, module;
