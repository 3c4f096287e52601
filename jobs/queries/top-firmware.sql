-- The firmware referenced by the most distinct modules, over all kernels.
SELECT firmware, count(DISTINCT module) AS modules
FROM firmware
GROUP BY firmware
ORDER BY modules DESC, firmware
LIMIT 10;
