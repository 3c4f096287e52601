-- Per kernel: modules (files and built-ins, failed ones included), modules with firmware,
-- firmware rows, distinct firmware, built-in firmware rows, error rows (failed files, and
-- malformed modules.builtin.modinfo strings, which name no module).
-- Ordered by the kernel string, which is not release order (see README.md).
SELECT m.kernel,
       m.modules,
       coalesce(f.modules_with_firmware, 0) AS modules_with_firmware,
       coalesce(f.firmware_rows, 0) AS firmware_rows,
       coalesce(f.distinct_firmware, 0) AS distinct_firmware,
       coalesce(f.builtin_firmware_rows, 0) AS builtin_firmware_rows,
       m.errors
FROM (SELECT kernel,
             count(module) AS modules,
             sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors
      FROM modules GROUP BY kernel) m
LEFT JOIN (SELECT kernel,
                  count(DISTINCT path || '|' || module) AS modules_with_firmware,
                  count(*) AS firmware_rows,
                  count(DISTINCT firmware) AS distinct_firmware,
                  sum(CASE WHEN builtin THEN 1 ELSE 0 END) AS builtin_firmware_rows
           FROM firmware GROUP BY kernel) f
  ON f.kernel = m.kernel
ORDER BY m.kernel;
