package io.refcat.indexer.combine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each file goes along each concatenation dimension: the sorted union of all files'
 * coordinate values is the output axis, and a file starts at the position of its first value.
 * Files whose values are not a run of that axis, or that cover a position another file covers,
 * are left out; steps much wider than usual are reported as gaps (the data are combined anyway,
 * as xarray does, without the missing steps).
 */
final class Layout {
    final double[][] axis;
    final List<String> gaps = new ArrayList<>();

    private Layout(double[][] axis) {
        this.axis = axis;
    }

    static Layout of(List<String> dims, List<InputSummary> files, Survey survey) {
        while (true) {
            double[][] axis = new double[dims.size()][];
            for (int d = 0; d < dims.size(); d++) {
                axis[d] = union(files, d);
            }
            // Of files whose values interleave, the one given last is left out, then the axis is made again.
            InputSummary interleaved = null;
            for (InputSummary f : files) {
                f.start = new long[dims.size()];
                for (int d = 0; d < dims.size(); d++) {
                    f.start[d] = Arrays.binarySearch(axis[d], f.values[d][0]);
                    if (!run(axis[d], f.start[d], f.values[d]) && (interleaved == null || f.index > interleaved.index)) {
                        interleaved = f;
                    }
                }
            }
            if (interleaved != null) {
                survey.problem(interleaved.name + ": its values interleave with another file's");
                files.remove(interleaved);
                continue;
            }
            List<InputSummary> bad = overlaps(dims, files, survey);
            files.removeAll(bad);
            if (bad.isEmpty()) {
                Layout layout = new Layout(axis);
                for (int d = 0; d < dims.size(); d++) {
                    layout.findGaps(dims.get(d), axis[d]);
                }
                return layout;
            }
        }
    }

    private static boolean run(double[] axis, long start, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (start + i >= axis.length || axis[(int) (start + i)] != values[i]) {
                return false;
            }
        }
        return true;
    }

    private static double[] union(List<InputSummary> files, int d) {
        return files.stream().flatMapToDouble(f -> Arrays.stream(f.values[d])).sorted().distinct().toArray();
    }

    /** Files covering a position along the first dimension that an earlier file covers, among files alike elsewhere. */
    private static List<InputSummary> overlaps(List<String> dims, List<InputSummary> files, Survey survey) {
        Map<String, List<InputSummary>> rows = new HashMap<>();
        for (InputSummary f : files) {
            rows.computeIfAbsent(Arrays.toString(Arrays.copyOfRange(f.start, 1, f.start.length)), k -> new ArrayList<>())
                    .add(f);
        }
        List<InputSummary> bad = new ArrayList<>();
        for (List<InputSummary> row : rows.values()) {
            row.sort(Comparator.comparingLong((InputSummary f) -> f.start[0]).thenComparingInt(f -> f.index));
            InputSummary last = null;
            for (InputSummary f : row) {
                if (last != null && f.start[0] < last.end(0)) {
                    survey.problem(f.name + ": its '" + dims.get(0) + "' values overlap those of " + last.name);
                    bad.add(f);
                } else {
                    last = f;
                }
            }
        }
        return bad;
    }

    private void findGaps(String dim, double[] values) {
        if (values.length < 3) {
            return;
        }
        double[] steps = new double[values.length - 1];
        for (int i = 1; i < values.length; i++) {
            steps[i - 1] = values[i] - values[i - 1];
        }
        double[] sorted = steps.clone();
        Arrays.sort(sorted);
        double usual = sorted[sorted.length / 2];
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] > 1.5 * usual) {
                gaps.add("'" + dim + "' jumps from " + values[i] + " to " + values[i + 1] + " (usual step " + usual + ")");
            }
        }
    }
}
