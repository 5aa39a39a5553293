package org.mailsift.scanner.bayes;

import org.mailsift.core.learn.LearnClass;

/** A learn waiting in the {@link LearnOutbox}: everything the store needs, already tokenized. */
public record QueuedLearn(String owner, LearnClass learnClass, String digest, long[] tokens) {
}
