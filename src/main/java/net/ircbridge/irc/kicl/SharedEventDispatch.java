package net.ircbridge.irc.kicl;

import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import net.engio.mbassy.listener.Handler;
import net.engio.mbassy.listener.Invoke;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.helper.ClientEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;
import org.kitteh.irc.client.library.exception.KittehEventException;
import org.kitteh.irc.client.library.exception.KittehNagException;
import org.kitteh.irc.client.library.exception.KittehServerMessageException;
import org.kitteh.irc.client.library.feature.EventManager;
import org.kitteh.irc.client.library.feature.filter.CommandFilter;
import org.kitteh.irc.client.library.feature.filter.EchoMessage;
import org.kitteh.irc.client.library.feature.filter.FilterProcessor;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;
import org.kitteh.irc.client.library.feature.filter.ToSelfOnly;

/**
 * Event dispatch shared by all IRC clients: a replacement for KICL's per-client {@code DefaultEventManager}.
 *
 * <p><b>Why:</b> KICL 9.0.0's {@code DefaultEventManager} builds one MBassador bus per client, with two
 * asynchronous message-dispatch threads of its own (and an asynchronous handler pool), and MBassador keeps its own
 * copy of the subscription metadata (one {@code Subscription}, {@code MessageHandler}, dispatcher and listener set
 * per {@code @Handler} method, about 100 of them for KICL's default listeners) for every bus. Events are published
 * synchronously anyway ({@code bus.publish}), so the threads only cost memory.
 *
 * <p>Here the metadata is computed once per listener class and once per <em>combination</em> of listener classes
 * (all clients built by one factory share one combination), and each client keeps only its array of listener
 * objects. Dispatch stays synchronous on the calling thread (the thread handling the client's line), in priority order
 * (highest first; registration order between equal priorities), honouring KICL's annotation filters
 * ({@link CommandFilter}, {@link NumericFilter}, {@link EchoMessage}, {@link ToSelfOnly}, plus any registered per
 * client), {@code @Handler(priority, rejectSubtypes, enabled)}. MBassador-only features ({@code filters},
 * {@code condition}, asynchronous delivery) are rejected at registration so they do not silently misbehave.
 *
 * <p>Exceptions thrown by handlers go to the client's exception listener the way KICL's default does
 * ({@code KittehServerMessageException} and {@code KittehNagException} as they are, anything else wrapped in
 * {@code KittehEventException}); dispatch continues with the next handler.
 *
 * <p>Reconnects: the bridge owns reconnects, so every {@link ClientConnectionEndedEvent} has
 * {@code setAttemptReconnect(false)} applied before any handler sees it. This is cheaper than a listener per client
 * and cannot be missed because of handler order.
 */
public final class SharedEventDispatch {

    /** The filters KICL's DefaultEventManager registers by default. Immutable, shared. */
    static final Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> DEFAULT_FILTERS;

    static {
        Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> m = new LinkedHashMap<>();
        m.put(CommandFilter.class, new CommandFilter.Processor());
        m.put(EchoMessage.class, new EchoMessage.Processor());
        m.put(NumericFilter.class, new NumericFilter.Processor());
        m.put(ToSelfOnly.class, new ToSelfOnly.Processor());
        DEFAULT_FILTERS = Collections.unmodifiableMap(m);
    }

    private final ClassValue<ListenerType> listenerTypes = new ClassValue<>() {
        @Override
        protected ListenerType computeValue(Class<?> type) {
            return new ListenerType(type);
        }
    };

    private final ConcurrentHashMap<List<Class<?>>, Layout> layouts = new ConcurrentHashMap<>();

    /** Creates the small per-client {@link EventManager} view. */
    public EventManager forClient(Client client) {
        return new ClientEventManager(this, Objects.requireNonNull(client, "client"));
    }

    /** Number of distinct listener-class combinations seen (for tests and metrics). */
    int layoutCount() {
        return this.layouts.size();
    }

    /**
     * The handler methods an event of this class reaches among these listeners, in the order they are called: how a
     * connection's listeners, registered in this order, take what its client hears (for tests).
     */
    public List<Method> handlersFor(Object[] listeners, Class<?> eventClass) {
        return Arrays.stream(this.layoutFor(listeners).targetsFor(eventClass)).map(t -> t.handler().method).toList();
    }

    Layout layoutFor(Object[] listeners) {
        Class<?>[] classes = new Class<?>[listeners.length];
        for (int i = 0; i < listeners.length; i++) {
            classes[i] = listeners[i].getClass();
        }
        List<Class<?>> key = List.of(classes);
        Layout layout = this.layouts.get(key);
        if (layout == null) {
            // Validate eagerly so a bad listener fails at registration, not at first event.
            for (Class<?> c : classes) {
                this.listenerTypes.get(c);
            }
            layout = this.layouts.computeIfAbsent(key, k -> new Layout(this, classes));
        }
        return layout;
    }

    ListenerType listenerType(Class<?> type) {
        return this.listenerTypes.get(type);
    }

    /** One handler method, resolved once per listener class. */
    static final class HandlerMethod {
        final Method method;
        final MethodHandle invoker;
        final Class<?> eventType;
        final int priority;
        final boolean rejectSubtypes;
        final FilterBinding[] defaultFilters;

        HandlerMethod(Method method, Handler handler) {
            if (method.getParameterCount() != 1) {
                throw new IllegalArgumentException("@Handler method must take exactly one event parameter: " + method);
            }
            if (handler.filters().length > 0 || !handler.condition().isEmpty()) {
                throw new IllegalArgumentException("MBassador @Handler filters/condition are not supported; use KICL filter annotations: " + method);
            }
            if (handler.delivery() == Invoke.Asynchronously) {
                throw new IllegalArgumentException("Asynchronous delivery is not supported (hand work to your own executor): " + method);
            }
            this.method = method;
            this.eventType = method.getParameterTypes()[0];
            this.priority = handler.priority();
            this.rejectSubtypes = handler.rejectSubtypes();
            try {
                method.setAccessible(true);
                this.invoker = MethodHandles.lookup().unreflect(method)
                        .asType(MethodType.methodType(void.class, Object.class, Object.class));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot access @Handler method " + method, e);
            }
            this.defaultFilters = bindFilters(method, DEFAULT_FILTERS);
        }

        boolean handles(Class<?> eventClass) {
            return this.rejectSubtypes ? this.eventType == eventClass : this.eventType.isAssignableFrom(eventClass);
        }

        static FilterBinding[] bindFilters(Method method, Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> filters) {
            List<FilterBinding> bindings = null;
            for (Map.Entry<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> e : filters.entrySet()) {
                Annotation[] annotations = method.getAnnotationsByType(e.getKey());
                if (annotations.length > 0) {
                    if (bindings == null) {
                        bindings = new ArrayList<>(2);
                    }
                    bindings.add(new FilterBinding(e.getValue(), annotations));
                }
            }
            return bindings == null ? FilterBinding.NONE : bindings.toArray(FilterBinding.NONE);
        }
    }

    record FilterBinding(FilterProcessor<?, ? extends Annotation> processor, Annotation[] annotations) {
        static final FilterBinding[] NONE = new FilterBinding[0];

        @SuppressWarnings({"unchecked", "rawtypes"})
        boolean accepts(Object event) {
            return ((FilterProcessor) this.processor).accepts(event, this.annotations);
        }
    }

    /** All {@code @Handler} methods of one listener class (including inherited ones, minus overridden ones). */
    static final class ListenerType {
        final HandlerMethod[] handlers;

        ListenerType(Class<?> type) {
            List<HandlerMethod> found = new ArrayList<>();
            Set<String> seenSignatures = new HashSet<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                Method[] declared = c.getDeclaredMethods();
                Arrays.sort(declared, Comparator.comparing(Method::getName).thenComparing(Method::toString));
                for (Method m : declared) {
                    if (m.isBridge() || m.isSynthetic() || Modifier.isStatic(m.getModifiers())) {
                        continue;
                    }
                    String signature = m.getName() + Arrays.toString(m.getParameterTypes());
                    boolean overridden = !seenSignatures.add(signature) && !Modifier.isPrivate(m.getModifiers());
                    Handler handler = m.getAnnotation(Handler.class);
                    if (handler == null || overridden || !handler.enabled()) {
                        continue;
                    }
                    found.add(new HandlerMethod(m, handler));
                }
            }
            this.handlers = found.toArray(new HandlerMethod[0]);
        }
    }

    /** One target of an event: which listener (index in the client's array) and which method. */
    record Target(int listenerIndex, HandlerMethod handler) {
        static final Target[] NONE = new Target[0];
    }

    /**
     * Handler targets per event class for one ordered combination of listener classes. Shared by every client whose
     * listeners have exactly these classes in this order.
     */
    static final class Layout {
        private final SharedEventDispatch owner;
        private final Class<?>[] classes;
        private final ConcurrentHashMap<Class<?>, Target[]> byEvent = new ConcurrentHashMap<>();

        Layout(SharedEventDispatch owner, Class<?>[] classes) {
            this.owner = owner;
            this.classes = classes;
        }

        Target[] targetsFor(Class<?> eventClass) {
            Target[] targets = this.byEvent.get(eventClass);
            if (targets == null) {
                targets = this.byEvent.computeIfAbsent(eventClass, this::compute);
            }
            return targets;
        }

        private Target[] compute(Class<?> eventClass) {
            List<Target> list = new ArrayList<>();
            for (int i = 0; i < this.classes.length; i++) {
                for (HandlerMethod h : this.owner.listenerType(this.classes[i]).handlers) {
                    if (h.handles(eventClass)) {
                        list.add(new Target(i, h));
                    }
                }
            }
            if (list.isEmpty()) {
                return Target.NONE;
            }
            // Stable sort: higher priority first, registration order otherwise.
            list.sort(Comparator.comparingInt((Target t) -> t.handler().priority).reversed());
            return list.toArray(Target.NONE);
        }
    }

    /**
     * The per-client part: the client, its listener objects and (only if someone registers a custom filter) its own
     * filter map. About 40 bytes plus the listener array.
     */
    static final class ClientEventManager implements EventManager {
        private record State(Object[] listeners, Layout layout) {
        }

        private final SharedEventDispatch shared;
        private final Client client;
        private volatile State state;
        /** {@code null} while the client uses the shared default filters. */
        private volatile Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> customFilters;

        ClientEventManager(SharedEventDispatch shared, Client client) {
            this.shared = shared;
            this.client = client;
            this.state = new State(new Object[0], shared.layoutFor(new Object[0]));
        }

        @Override
        public void callEvent(Object event) {
            Objects.requireNonNull(event, "event");
            if (event instanceof ClientEvent clientEvent && clientEvent.getClient() != this.client) {
                throw new IllegalArgumentException("Event cannot be from another client!");
            }
            if (event instanceof ClientConnectionEndedEvent ended) {
                // The bridge owns reconnects (backoff, stagger, re-JOIN); KICL's own would retry every 5 s forever.
                ended.setAttemptReconnect(false);
            }
            State current = this.state;
            Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> custom = this.customFilters;
            for (Target target : current.layout().targetsFor(event.getClass())) {
                HandlerMethod h = target.handler();
                FilterBinding[] filters = custom == null ? h.defaultFilters : HandlerMethod.bindFilters(h.method, custom);
                try {
                    if (!accepted(filters, event)) {
                        continue;
                    }
                    h.invoker.invokeExact(current.listeners()[target.listenerIndex()], event);
                } catch (Throwable thrown) {
                    this.report(thrown);
                }
            }
        }

        private static boolean accepted(FilterBinding[] filters, Object event) {
            for (FilterBinding f : filters) {
                if (!f.accepts(event)) {
                    return false;
                }
            }
            return true;
        }

        private void report(Throwable thrown) {
            Exception exception;
            if (thrown instanceof KittehServerMessageException || thrown instanceof KittehNagException) {
                exception = (Exception) thrown;
            } else {
                exception = new KittehEventException(thrown);
            }
            this.client.getExceptionListener().queue(exception);
        }

        @Override
        public synchronized Set<Object> getRegisteredEventListeners() {
            Set<Object> set = Collections.newSetFromMap(new IdentityHashMap<>());
            set.addAll(Arrays.asList(this.state.listeners()));
            return set;
        }

        @Override
        public Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> getAnnotationFilters() {
            Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> custom = this.customFilters;
            return Collections.unmodifiableMap(new HashMap<>(custom == null ? DEFAULT_FILTERS : custom));
        }

        @Override
        public synchronized <A extends Annotation> void registerAnnotationFilter(Class<A> annotationClass, FilterProcessor<?, A> filterProcessor) {
            Map<Class<? extends Annotation>, FilterProcessor<?, ? extends Annotation>> copy =
                    new LinkedHashMap<>(this.customFilters == null ? DEFAULT_FILTERS : this.customFilters);
            copy.put(Objects.requireNonNull(annotationClass, "annotationClass"), Objects.requireNonNull(filterProcessor, "filterProcessor"));
            this.customFilters = copy;
        }

        @Override
        public synchronized void registerEventListener(Object listener) {
            Objects.requireNonNull(listener, "listener");
            Object[] old = this.state.listeners();
            for (Object o : old) {
                if (o == listener) {
                    return;
                }
            }
            Object[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = listener;
            this.state = new State(next, this.shared.layoutFor(next));
        }

        @Override
        public synchronized void unregisterEventListener(Object listener) {
            Objects.requireNonNull(listener, "listener");
            Object[] old = this.state.listeners();
            List<Object> kept = new ArrayList<>(old.length);
            for (Object o : old) {
                if (o != listener) {
                    kept.add(o);
                }
            }
            if (kept.size() != old.length) {
                Object[] next = kept.toArray();
                this.state = new State(next, this.shared.layoutFor(next));
            }
        }

        @Override
        public String toString() {
            return "ClientEventManager[" + this.client.getName() + ", " + this.state.listeners().length + " listeners]";
        }
    }
}
