-- The modules and kernels that reference firmware matching a LIKE pattern. Set it in params.
WITH params AS (SELECT 'iwlwifi-%' AS pattern)
SELECT DISTINCT f.firmware, f.module, f.kernel
FROM firmware f, params
WHERE f.firmware LIKE params.pattern
ORDER BY f.firmware, f.module, f.kernel;
