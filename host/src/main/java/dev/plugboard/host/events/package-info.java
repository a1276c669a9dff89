/**
 * The host's change feed: catalogue changes and module deployments as numbered events, with a
 * bounded backlog for replay ({@link dev.plugboard.host.events.ChangeFeed}). Front doors (SSE,
 * GraphQL subscriptions) subscribe to it; the catalogue and the deployer feed it.
 */
package dev.plugboard.host.events;
