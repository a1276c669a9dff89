/**
 * Token counts estimated before a model is called, with OpenAI's byte-pair encodings (jtokkit, embedded
 * in the bundle), to reserve a budget. Bills are settled from the provider's reported {@code usage};
 * these counts are exact for OpenAI's models only and an approximation for others.
 */
package dev.plugboard.router.tokens;
