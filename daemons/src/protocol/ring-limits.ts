// Kept free of imports: the dashboard bundles it to check a setup before sending it.

/** The smallest ring the assignment allows (the dashboard checks it before sending, too). */
export const MIN_RING_SIZE = 3;
