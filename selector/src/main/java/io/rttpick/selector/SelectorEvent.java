package io.rttpick.selector;

/** What {@link RttSelector#select} reports: first the {@link Selection}, then the full {@link Ranking}. */
public interface SelectorEvent {
}
