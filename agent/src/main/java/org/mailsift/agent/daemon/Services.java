package org.mailsift.agent.daemon;

import java.util.List;

/** The services `mailsift run` starts, in start order. Add one line per service. */
public final class Services {
    private Services() {
    }

    public static List<DaemonService> create() {
        return List.of(
                // registrations: keep one per line
                new ImapWatcherService(),
                new SpoolDrainService(),
                new ControllerService(),
                new MilterService()
        );
    }
}
