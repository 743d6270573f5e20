package net.ircbridge.irc;

import java.util.List;
import java.util.Set;
import net.engio.mbassy.listener.Handler;
import org.kitteh.irc.client.library.event.channel.ChannelInviteEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveCommandEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.event.user.PrivateCtcpQueryEvent;
import org.kitteh.irc.client.library.event.user.PrivateMessageEvent;
import org.kitteh.irc.client.library.event.user.PrivateNoticeEvent;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;

/**
 * What only a {@link UserConnection} hears, a KICL listener of its client: private messages, notices and actions,
 * the lines the server refused, INVITEs of it, the answers to its KNOCKs, and the account it is identified to (900,
 * 901) or the login the server refused (902, 904, 905).
 */
final class HearsWhatOnlyTheUserIsTold {

    /** The numerics that refuse a line a connection sent (see {@link #refused}). */
    static final Set<Integer> REFUSALS = Set.of(401, 404, 407, 412, 442, 482, 486, 489, 492, 531, 716);

    private final UserConnection connection;
    private final IrcUserConnections registry;
    /** The channel of the latest KNOCK, for the answers that don't name it (480 on InspIRCd, 421). */
    private volatile String knockedOn;
    private volatile String account;

    HearsWhatOnlyTheUserIsTold(UserConnection connection, IrcUserConnections registry) {
        this.connection = connection;
        this.registry = registry;
    }

    /** See {@link UserConnection#knock}. */
    void knock(String channel, String reason) {
        knockedOn = channel;
        BuildsIrcLines.line(connection.client(), "KNOCK").channel(channel).trailing(reason).send();
    }

    /** See {@link UserConnection#account}. */
    String account() {
        return account;
    }

    @Handler
    public void privateMessage(PrivateMessageEvent event) {
        registry.publish(new IrcEvent.PrivateMessageReceived(connection.network(), connection.owner(), event.getActor().getNick(),
                MessageKind.MESSAGE, event.getMessage()));
    }

    @Handler
    public void privateNotice(PrivateNoticeEvent event) {
        registry.publish(new IrcEvent.PrivateMessageReceived(connection.network(), connection.owner(), event.getActor().getNick(),
                MessageKind.NOTICE, event.getMessage()));
    }

    @Handler
    public void privateAction(PrivateCtcpQueryEvent event) {
        if (event.getMessage().startsWith("ACTION ")) {
            registry.publish(new IrcEvent.PrivateMessageReceived(connection.network(), connection.owner(),
                    event.getActor().getNick(), MessageKind.ACTION, event.getMessage().substring("ACTION ".length())));
        }
    }

    /**
     * The server refusing a line: 401 no such nick, 404 cannot send to channel (+m, +n, banned), 407 too many
     * targets, 412 no text, 442 not on channel, 482 not a channel operator (TOPIC on +t), 486 and 531 the user
     * takes messages only from some, 489 secure-only channel, 492 no CTCPs, 716 the user is in +g mode.
     */
    @Handler
    public void refused(ClientReceiveNumericEvent event) {
        List<String> params = event.getParameters();
        if (REFUSALS.contains(event.getNumeric()) && params.size() >= 2) {
            registry.publish(new IrcEvent.LineRefused(connection.network(), connection.owner(), params.get(1), event.getNumeric(),
                    params.get(params.size() - 1)));
        }
    }

    /** 711 delivered, 713 channel open, 714 already on it, 480 no knocks (+K), 421 no KNOCK command at all. */
    @Handler
    @NumericFilter(711)
    @NumericFilter(713)
    @NumericFilter(714)
    @NumericFilter(480)
    @NumericFilter(421)
    public void knockAnswered(ClientReceiveNumericEvent event) {
        List<String> params = event.getParameters();
        if (event.getNumeric() == 421 && (params.size() < 2 || !"KNOCK".equalsIgnoreCase(params.get(1)))) {
            return;
        }
        String channel = params.size() > 2 && "#&+!".indexOf(params.get(1).charAt(0)) >= 0 ? params.get(1) : knockedOn;
        if (channel == null) {
            return;
        }
        KnockAnswer answer = KnockAnswer.of(event.getNumeric());
        if (answer != null) {
            registry.publish(new IrcEvent.KnockAnswered(connection.network(), connection.owner(), channel, answer,
                    params.isEmpty() ? "" : params.get(params.size() - 1)));
        }
    }

    /** InspIRCd 3 tells the knocker with a notice ("KNOCKing on #chan") rather than 711. */
    @Handler
    public void knockDelivered(ClientReceiveCommandEvent event) {
        List<String> params = event.getParameters();
        if (!"NOTICE".equals(event.getCommand()) || params.size() < 2 || knockedOn == null
                || event.getActor() instanceof org.kitteh.irc.client.library.element.User) {
            return;
        }
        String text = params.get(params.size() - 1);
        if (text.equalsIgnoreCase("KNOCKing on " + knockedOn)) {
            registry.publish(new IrcEvent.KnockAnswered(connection.network(), connection.owner(), knockedOn,
                    KnockAnswer.DELIVERED, text));
        }
    }

    @Handler
    public void invited(ChannelInviteEvent event) {
        String nick = connection.nick();
        if (nick != null && event.getTarget().equalsIgnoreCase(nick)) {
            String inviter = event.getActor() instanceof org.kitteh.irc.client.library.element.User u ? u.getNick()
                    : event.getActor().getName();
            registry.publish(new IrcEvent.InvitedToChannel(connection.network(), connection.owner(),
                    event.getChannel().getName(), inviter));
        }
    }

    /** 900: logged in to an account (SASL, or services); 901: logged out. */
    @Handler
    @NumericFilter(900)
    @NumericFilter(901)
    public void accountChanged(ClientReceiveNumericEvent event) {
        List<String> params = event.getParameters();
        account = event.getNumeric() == 900 && params.size() >= 3 ? params.get(2) : null;
        registry.rememberAccount(connection, account);
        registry.publish(new IrcEvent.AccountChanged(connection.network(), connection.owner(), account));
    }

    /**
     * The login was refused: 904 wrong account or password, 905 too long, 902 the nick is locked. The server goes
     * on registering the connection, unidentified.
     */
    @Handler
    @NumericFilter(902)
    @NumericFilter(904)
    @NumericFilter(905)
    public void loginRefused(ClientReceiveNumericEvent event) {
        List<String> params = event.getParameters();
        registry.publish(new IrcEvent.LoginRefused(connection.network(), connection.owner(),
                params.isEmpty() ? "" : params.get(params.size() - 1)));
    }
}
