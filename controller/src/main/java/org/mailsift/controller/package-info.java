/**
 * controller: Rspamd's HTTP API (the normal worker and the controller) and the web interface, over netty: scans,
 * learns, statistics, history and thresholds for rspamc and existing integrations.
 */
package org.mailsift.controller;
