package dev.plugboard.console.web;

import java.util.ArrayList;
import java.util.List;

/**
 * One sample of the Prometheus text format ({@code GET /metrics}): {@code name{labels} value}.
 *
 * @param name the metric name, without labels
 * @param series the name with its labels, as written
 * @param value the sample's value
 */
record PrometheusSample(String name, String series, double value) {

    /** The samples of a text; comments, blank lines and lines that are not samples are left out. */
    static List<PrometheusSample> parse(String text) {
        List<PrometheusSample> samples = new ArrayList<>();
        for (String line : text == null ? new String[0] : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            samples.add(new PrometheusSample(brace < 0 ? series : series.substring(0, brace), series, value));
        }
        return samples;
    }

    /** The value of one label, or null when the sample has none of that name. */
    String label(String label) {
        int at = series.indexOf(label + "=\"");
        if (at < 0) {
            return null;
        }
        int start = at + label.length() + 2;
        int end = series.indexOf('"', start);
        return end < 0 ? null : series.substring(start, end);
    }
}
