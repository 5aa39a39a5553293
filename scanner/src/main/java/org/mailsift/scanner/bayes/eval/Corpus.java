package org.mailsift.scanner.bayes.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.mailsift.core.learn.LearnClass;

/**
 * A labelled corpus folder ({@code ham/} and {@code spam/}) split into a training and a test half per class:
 * either shuffled with a fixed seed as Python's {@code random.Random(seed).shuffle} does, or chronologically (by file name order, first half trains).
 */
public record Corpus(List<Sample> train, List<Sample> test) {

    /** One message file with its label. */
    public record Sample(Path file, LearnClass label) {
        public byte[] read() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The same split with the halves' roles exchanged: for cross-fitting, each half scored by a model of the other. */
    public Corpus swapped() {
        return new Corpus(test, train);
    }

    public static Corpus split(Path root, boolean chronological, long seed) throws IOException {
        List<Sample> train = new ArrayList<>();
        List<Sample> test = new ArrayList<>();
        for (LearnClass c : List.of(LearnClass.HAM, LearnClass.SPAM)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(root.resolve(c.label()))) {
                files = new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
            }
            if (!chronological) {
                PythonShuffle.shuffle(files, seed); // the evaluators' split: random.Random(seed).shuffle(sorted(names))
            }
            int half = files.size() / 2;
            files.subList(0, half).forEach(f -> train.add(new Sample(f, c)));
            files.subList(half, files.size()).forEach(f -> test.add(new Sample(f, c)));
        }
        if (chronological) {
            // interleave the classes in file order, as mail would arrive
            train.sort((a, b) -> a.file().getFileName().compareTo(b.file().getFileName()));
        } else {
            Collections.shuffle(train, new Random(seed));
        }
        return new Corpus(train, test);
    }
}
