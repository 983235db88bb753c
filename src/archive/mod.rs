//! The Wayback Machine client: CDX listings and raw (`id_`) capture fetches, with the
//! archive's etiquette (rate limits, `Retry-After`, bounded retries).
