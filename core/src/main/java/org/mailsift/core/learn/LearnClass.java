package org.mailsift.core.learn;

/** The two classes of the Bayes classifier. */
public enum LearnClass {
    SPAM, HAM;

    /** "spam" / "ham", as in Rspamd's messages ("... has been already learned as spam, ignore it"). */
    public String label() {
        return this == SPAM ? "spam" : "ham";
    }

    public LearnClass opposite() {
        return this == SPAM ? HAM : SPAM;
    }
}
