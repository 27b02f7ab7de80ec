/** A change of a registered model, as one process tells the others that serve from the same database. */
export interface ModelChange {
  model: string;
  deletedVersion?: number;
}

/**
 * How serving replicas on one database hear of each other's alias moves and deletions at once,
 * rather than at their next alias refresh (PostgreSQL LISTEN/NOTIFY; nothing for a SQLite file,
 * which one process serves). A process does not hear its own changes.
 */
export interface ModelNotifications {
  publish(change: ModelChange): Promise<void>;
  /** Calls `listener` for every change another process publishes, from now on. */
  subscribe(listener: (change: ModelChange) => void): Promise<void>;
  close(): Promise<void>;
}
