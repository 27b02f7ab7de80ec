/** Passes over the training split when the config and the parameters say nothing. */
export const DEFAULT_EPOCHS = 20;

/** Mini-batch size when the config and the parameters say nothing. */
export const DEFAULT_BATCH_SIZE = 32;

/** Most epochs a trial may be asked to train. */
export const MAX_EPOCHS = 100_000;

/** Largest mini-batch a trial may be asked to use. */
export const MAX_BATCH_SIZE = 65_536;
