package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.imapwatcher.JunkMoveDetector.Sighting;
import org.mailsift.imapwatcher.JunkMoveDetector.Verdict;

class JunkMoveDetectorTest {
    private final JunkMoveDetector detector = new JunkMoveDetector("X-Spam", "X-Spamd-Result");

    @Test
    void aPlainMessageArrivingInJunkIsSpam() {
        assertThat(detector.arrivalInJunk("Junk", null, null).verdict()).isEqualTo(Verdict.LEARN_SPAM);
    }

    @Test
    void ourOwnDeliveryIntoJunkIsNotLearnedAgain() {
        assertThat(detector.arrivalInJunk("Junk", "Yes", "default: True [12.0 / 6.0]").verdict()).isEqualTo(Verdict.OWN_DELIVERY);
        assertThat(detector.arrivalInJunk("Junk", " yes", "default: True").verdict()).isEqualTo(Verdict.OWN_DELIVERY);
    }

    @Test
    void aSpamHeaderWithoutOurResultHeaderIsNotOurs() {
        // another filter's (or a spammer's) X-Spam alone is not proof that we filed it: the user's move counts
        assertThat(detector.arrivalInJunk("Junk", "Yes", null).verdict()).isEqualTo(Verdict.LEARN_SPAM);
        assertThat(detector.arrivalInJunk("Junk", "No", "default: False").verdict()).isEqualTo(Verdict.LEARN_SPAM);
    }

    @Test
    void leavingJunkForAnyFolderButTrashIsHam() {
        assertThat(detector.departureFromJunk(List.of(new Sighting("Archive/2026", FolderRole.ELSEWHERE))))
                .isEqualTo(new JunkMoveDetector.Decision(Verdict.LEARN_HAM, "Archive/2026"));
    }

    @Test
    void leavingJunkForTrashTeachesNothing() {
        assertThat(detector.departureFromJunk(List.of(new Sighting("Trash", FolderRole.TRASH))).verdict()).isEqualTo(Verdict.TRASHED);
    }

    @Test
    void copiedToTrashAndToInboxIsStillHam() {
        assertThat(detector.departureFromJunk(List.of(new Sighting("Trash", FolderRole.TRASH),
                new Sighting("INBOX", FolderRole.ELSEWHERE))).verdict()).isEqualTo(Verdict.LEARN_HAM);
    }

    @Test
    void deletedFromJunkOrMovedToAnotherJunkFolderTeachesNothing() {
        assertThat(detector.departureFromJunk(List.of()).verdict()).isEqualTo(Verdict.DELETED);
        assertThat(detector.departureFromJunk(List.of(new Sighting("Spam", FolderRole.JUNK))).verdict()).isEqualTo(Verdict.DELETED);
    }
}
