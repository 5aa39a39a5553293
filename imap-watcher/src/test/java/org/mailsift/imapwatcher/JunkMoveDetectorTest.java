package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.imapwatcher.JunkMoveDetector.Sighting;
import org.mailsift.imapwatcher.JunkMoveDetector.Outcome;

class JunkMoveDetectorTest {
    private final JunkMoveDetector detector = new JunkMoveDetector("X-Spam", "X-Spamd-Result");

    @Test
    void aPlainMessageArrivingInJunkIsSpam() {
        assertThat(detector.arrivalInJunk("Junk", null, null).outcome()).isEqualTo(Outcome.LEARN_SPAM);
    }

    @Test
    void ourOwnDeliveryIntoJunkIsNotLearnedAgain() {
        assertThat(detector.arrivalInJunk("Junk", "Yes", "default: True [12.0 / 6.0]").outcome()).isEqualTo(Outcome.OWN_DELIVERY);
        assertThat(detector.arrivalInJunk("Junk", " yes", "default: True").outcome()).isEqualTo(Outcome.OWN_DELIVERY);
    }

    @Test
    void aSpamHeaderWithoutOurResultHeaderIsNotOurs() {
        // another filter's (or a spammer's) X-Spam alone is not proof that we filed it: the user's move counts
        assertThat(detector.arrivalInJunk("Junk", "Yes", null).outcome()).isEqualTo(Outcome.LEARN_SPAM);
        assertThat(detector.arrivalInJunk("Junk", "No", "default: False").outcome()).isEqualTo(Outcome.LEARN_SPAM);
    }

    @Test
    void leavingJunkForAnyFolderButTrashIsHam() {
        assertThat(detector.departureFromJunk(List.of(new Sighting("Archive/2026", FolderRole.ELSEWHERE))))
                .isEqualTo(new JunkMoveDetector.Decision(Outcome.LEARN_HAM, "Archive/2026"));
    }

    @Test
    void leavingJunkForTrashTeachesNothing() {
        assertThat(detector.departureFromJunk(List.of(new Sighting("Trash", FolderRole.TRASH))).outcome()).isEqualTo(Outcome.TRASHED);
    }

    @Test
    void copiedToTrashAndToInboxIsStillHam() {
        assertThat(detector.departureFromJunk(List.of(new Sighting("Trash", FolderRole.TRASH),
                new Sighting("INBOX", FolderRole.ELSEWHERE))).outcome()).isEqualTo(Outcome.LEARN_HAM);
    }

    @Test
    void deletedFromJunkOrMovedToAnotherJunkFolderTeachesNothing() {
        assertThat(detector.departureFromJunk(List.of()).outcome()).isEqualTo(Outcome.DELETED);
        assertThat(detector.departureFromJunk(List.of(new Sighting("Spam", FolderRole.JUNK))).outcome()).isEqualTo(Outcome.DELETED);
    }
}
