package dev.plugboard.console.web;

import dev.plugboard.console.session.ConsoleSession;

/**
 * What every page's frame shows: its title, the section the navigation marks, the user and a notice.
 *
 * @param title the page's title
 * @param section the navigation entry to mark as current ({@code overview}, {@code modules}, ...)
 * @param session the logged-in user, or null on the login page
 * @param notice a message about the last action, or null
 * @param noticeOk whether the notice reports a success (else a failure)
 */
public record Chrome(String title, String section, ConsoleSession session, String notice, boolean noticeOk) {

    /** Whether someone is logged in. */
    public boolean loggedIn() {
        return session != null;
    }

    /** The session's CSRF token, or empty. */
    public String csrf() {
        return session == null ? "" : session.csrf();
    }

    /** Whether the user may administer modules and configuration. */
    public boolean admin() {
        return session != null && session.rights().admin();
    }

    /** Whether the user may manage API keys. */
    public boolean keys() {
        return session != null && session.rights().keys();
    }

    /** Who is logged in. */
    public String who() {
        return session == null ? "" : session.who();
    }

    /** The {@code aria-current} value of a navigation entry: {@code page} for the current one, else null. */
    public String current(String entry) {
        return entry.equals(section) ? "page" : null;
    }
}
