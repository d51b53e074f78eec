/**
 * A form drawn from an act's request schema (src/api/act-forms.json, generated from the API's
 * OpenAPI document): enums become choices, booleans checkboxes, six-digit PINs password fields,
 * nested objects fieldsets. Labels come from the dictionary by field name, falling back to the
 * schema's own description, so a field the API adds appears without a code change.
 */
import { Checkbox, Form, Input, Radio, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import forms from '../api/act-forms.json';

export interface JsonSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

export function actSchema(path: string): JsonSchema | null {
  return ((forms as Record<string, unknown>)[path] ?? null) as JsonSchema | null;
}

function Field({
  name,
  path,
  schema,
  required,
}: {
  name: string;
  path: string[];
  schema: JsonSchema;
  required: boolean;
}) {
  const { t } = useTranslation();
  const label = t(`fields.${name}`, { defaultValue: schema.description ?? name });
  if (schema.type === 'object' && schema.properties) {
    return (
      <fieldset className="schema-fieldset">
        <legend>{label}</legend>
        {Object.entries(schema.properties).map(([k, s]) => (
          <Field
            key={k}
            name={k}
            path={[...path, k]}
            schema={s}
            required={schema.required?.includes(k) ?? false}
          />
        ))}
      </fieldset>
    );
  }
  if (schema.enum) {
    const options = schema.enum.map((v) => ({
      value: v,
      label: t(`enums.${name}.${v}`, { defaultValue: v }),
    }));
    return (
      <Form.Item
        name={path}
        label={label}
        rules={[{ required, message: t('common.required') }]}
        initialValue={schema.default}
      >
        {options.length <= 5 ? (
          <Radio.Group optionType="button" buttonStyle="solid" options={options} />
        ) : (
          <Select options={options} allowClear={!required} style={{ maxWidth: 360 }} />
        )}
      </Form.Item>
    );
  }
  if (schema.type === 'boolean') {
    return (
      <Form.Item name={path} valuePropName="checked" rules={[{ required: false }]}>
        <Checkbox>{label}</Checkbox>
      </Form.Item>
    );
  }
  const pin = schema.pattern === '^\\d{6}$';
  return (
    <Form.Item
      name={path}
      label={label}
      rules={[
        { required, whitespace: true, message: t('common.required') },
        // The API's patterns use Unicode classes (\p{L}: a stated reason needs letters or digits).
        ...(schema.pattern ? [{ pattern: new RegExp(schema.pattern, 'u'), message: label }] : []),
        ...(schema.minLength ? [{ min: schema.minLength }] : []),
      ]}
    >
      {pin ? (
        <Input.Password
          inputMode="numeric"
          maxLength={6}
          autoComplete="off"
          style={{ maxWidth: 200 }}
        />
      ) : (
        <Input maxLength={schema.maxLength} />
      )}
    </Form.Item>
  );
}

export function SchemaFields({ schema }: { schema: JsonSchema }) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([k, s]) => (
        <Field
          key={k}
          name={k}
          path={[k]}
          schema={s}
          required={schema.required?.includes(k) ?? false}
        />
      ))}
    </>
  );
}

/** Drops empty strings, unticked boxes and empty objects: the body says only what was stated. */
export function cleanBody(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = cleanBody(v);
      if (c === undefined || c === '' || c === false || c === null) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c as object).length === 0)
        continue;
      out[k] = typeof c === 'string' ? c.trim() : c;
    }
    return out;
  }
  return value;
}

export function SchemaHint({ schema }: { schema: JsonSchema | null }) {
  if (!schema?.description) return null;
  return <Typography.Paragraph type="secondary">{schema.description}</Typography.Paragraph>;
}

export type { FormInstance };
