package net.ircbridge.bridge.portals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** 405 has no end-to-end test (the test server allows 1000 channels per user); its notice is checked here. */
class SaysWhenTheNetworkLimitsChannelsTest {

    @Test
    void theNoticeNamesTheChannelTheNetworkAndTheLimit() {
        String notice = SaysWhenTheNetworkLimitsChannels.notice("Libera", "#big");
        assertTrue(notice.startsWith("The bridge could not join #big: Libera limits how many channels one connection may be on"),
                notice);
    }
}
