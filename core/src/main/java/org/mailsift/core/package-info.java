/**
 * core: what every module shares and nothing else -- the domain types of a scan and a learn ({@code scan},
 * {@code learn}), the seams modules plug into ({@code MessageScanner}, {@code Learner}, {@code ScanListener},
 * {@code HeaderContributor}), the one owner of each shared concept (the message parser and header splitter, the
 * verdict header applier, {@code ActionsSettings}, {@code BindSocket}, the UCL configuration) and metrics. No netty,
 * no module depends on another through it.
 */
package org.mailsift.core;
