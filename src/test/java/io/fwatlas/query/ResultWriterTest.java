package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class ResultWriterTest {
    static final StructField[] FIELDS = StructType.fromDDL("name STRING, n BIGINT, list ARRAY<STRING>").fields();
    static final String LONG = "brcm/brcmfmac4350-pcie.Apple Inc.-MacBookPro11,5.txt-with-a-name-longer-than-20";
    static final List<Row> ROWS = List.of(
            RowFactory.create("a,b", 7L, seq("x", "y")),
            RowFactory.create("say \"hi\"", 12345L, seq()),
            RowFactory.create(LONG, null, null),
            RowFactory.create("two\nlines", 0L, seq("z")));

    static Object seq(String... items) {
        return CollectionConverters.asScala(List.of(items)).toSeq();
    }

    static String write(ResultWriter.Format f) {
        StringWriter s = new StringWriter();
        ResultWriter.write(FIELDS, ROWS, f, new PrintWriter(s));
        return s.toString();
    }

    @Test
    void csvQuotesAsRfc4180() {
        assertEquals("name,n,list\r\n"
                + "\"a,b\",7,\"x, y\"\r\n"
                + "\"say \"\"hi\"\"\",12345,\r\n"
                + "\"" + LONG + "\",,\r\n"
                + "\"two\nlines\",0,z\r\n", write(ResultWriter.Format.CSV));
    }

    @Test
    void jsonIsOneArrayWithTypedValues() throws Exception {
        String json = write(ResultWriter.Format.JSON);
        assertEquals("[", json.substring(0, 1));
        assertEquals("[{\"name\":\"a,b\",\"n\":7,\"list\":[\"x\",\"y\"]},"
                + "{\"name\":\"say \\\"hi\\\"\",\"n\":12345,\"list\":[]},"
                + "{\"name\":\"" + LONG + "\",\"n\":null,\"list\":null},"
                + "{\"name\":\"two\\nlines\",\"n\":0,\"list\":[\"z\"]}]",
                new ObjectMapper().readTree(json).toString());
    }

    @Test
    void tableAlignsWithoutCuttingOrTrailingBlanks() {
        String[] lines = write(ResultWriter.Format.TABLE).split("\n", -1);
        int w = LONG.length();
        assertEquals("name" + " ".repeat(w - 4) + "      n  list", lines[0]);
        assertEquals("-".repeat(w) + "  -----  ----", lines[1]);
        assertEquals("a,b" + " ".repeat(w - 3) + "      7  x, y", lines[2]);
        assertEquals("say \"hi\"" + " ".repeat(w - 8) + "  12345", lines[3]);
        assertEquals(LONG, lines[4]);
        assertEquals("two\\nlines" + " ".repeat(w - 10) + "      0  z", lines[5]);
        assertEquals("", lines[6]);
    }

    @Test
    void tsvHasNoPadding() {
        assertEquals("name\tn\tlist\n"
                + "a,b\t7\tx, y\n"
                + "say \"hi\"\t12345\t\n"
                + LONG + "\t\t\n"
                + "two\\nlines\t0\tz\n", write(ResultWriter.Format.TSV));
    }
}
