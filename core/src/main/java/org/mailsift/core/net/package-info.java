/** Limits shared by the network listeners (milter, HTTP workers): connection caps and in-flight byte budgets. */
package org.mailsift.core.net;
