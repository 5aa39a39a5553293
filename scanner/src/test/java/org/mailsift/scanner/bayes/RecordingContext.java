package org.mailsift.scanner.bayes;

import java.util.ArrayList;
import java.util.List;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.MessageParser;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.core.scan.Action;
import org.mailsift.core.scan.ScanResult.BayesInfo;
import org.mailsift.scanner.rules.ScanContext;

/** A scan context that records what a rule inserts. */
final class RecordingContext implements ScanContext {
    record Inserted(String symbol, double runtimeScore, List<String> options) {
    }

    private final ParsedMessage message;
    private final Envelope envelope;
    final List<Inserted> inserted = new ArrayList<>();
    BayesInfo bayes;

    RecordingContext(byte[] raw, Envelope envelope) {
        this.message = MessageParser.parse(raw);
        this.envelope = envelope;
    }

    @Override
    public ParsedMessage message() {
        return message;
    }

    @Override
    public Envelope envelope() {
        return envelope;
    }

    @Override
    public void insert(String symbol, double runtimeScore, List<String> options) {
        inserted.add(new Inserted(symbol, runtimeScore, options));
    }

    @Override
    public void addHeaderChange(org.mailsift.core.scan.HeaderChange change) {
        throw new AssertionError("Bayes adds no headers");
    }

    @Override
    public void forceAction(Action action, String smtpMessage) {
        throw new AssertionError("Bayes never forces an action");
    }

    @Override
    public boolean isLocalOrAuthenticated() {
        return false;
    }

    @Override
    public void bayes(BayesInfo info) {
        bayes = info;
    }
}
