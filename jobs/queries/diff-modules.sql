-- Modules that gained or lost a firmware name from kernel k1 to k2 (one row per module and
-- firmware). Set the two kernels in params.
WITH params AS (SELECT '6.1.0-18-amd64' AS k1, '6.12.9+deb13-amd64' AS k2),
a AS (SELECT DISTINCT module, firmware FROM firmware, params WHERE kernel = params.k1),
b AS (SELECT DISTINCT module, firmware FROM firmware, params WHERE kernel = params.k2)
SELECT 'gained' AS change, module, firmware FROM (SELECT * FROM b EXCEPT SELECT * FROM a) g
UNION ALL
SELECT 'lost' AS change, module, firmware FROM (SELECT * FROM a EXCEPT SELECT * FROM b) l
ORDER BY change, module, firmware;
