/**
 * The learned router: decides, before any model is called, whether a prompt needs the strong
 * (expensive) model or the weak one will do, from labelled history and the host's local sentence
 * embeddings (no remote API, no key), and explains each decision by the nearest labelled examples.
 * Also the semantic-cache guard ({@link dev.plugboard.router.learned.SemanticMatch}) that decides
 * whether two prompts ask the same question.
 */
package dev.plugboard.router.learned;
