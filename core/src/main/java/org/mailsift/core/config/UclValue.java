package org.mailsift.core.config;

/** A node of a parsed UCL document. */
public sealed interface UclValue permits UclObject, UclArray, UclScalar {
    Position position();
}
