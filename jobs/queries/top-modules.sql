-- The modules with the most distinct firmware names, over all kernels.
SELECT module, count(DISTINCT firmware) AS firmware
FROM firmware
GROUP BY module
ORDER BY firmware DESC, module
LIMIT 10;
