/** Scenarios: regulations' examples as executable checks (see README.md). */
export {
  parseScenario,
  ScenarioParseError,
  STEPS,
  DEFAULT_START,
  type Scenario,
  type Step,
} from './scenario.js';
export {
  runScenario,
  runScenarioFile,
  prepareScenarioTemplate,
  describeStep,
  type RunOptions,
  type ScenarioResult,
  type StepResult,
} from './runner.js';
export { formatReport, formatScenario, totals, type Totals } from './report.js';
