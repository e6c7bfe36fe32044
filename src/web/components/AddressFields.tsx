import type { Client } from '../../server/api/contract.js';
import { TextField } from './Field.js';

export type AddressValue = Client['clientInformation']['billingAddress'];

/** Street, city, region, postal code, country; `path` prefixes the server's field names for errors. */
export function AddressFields({
  value,
  onChange,
  errors,
  path,
  labelPrefix,
}: {
  value: AddressValue;
  onChange: (value: AddressValue) => void;
  errors: Readonly<Record<string, string>>;
  path: string;
  labelPrefix: string;
}) {
  const field = (key: keyof AddressValue, label: string) => (
    <TextField
      label={`${labelPrefix} ${label}`}
      value={value[key]}
      onChange={(text) => onChange({ ...value, [key]: text })}
      error={errors[`${path}.${key}`]}
    />
  );
  return (
    <div className="form-grid">
      {field('line1', 'street')}
      {field('city', 'city')}
      {field('region', 'region')}
      {field('postalCode', 'postal code')}
      {field('country', 'country')}
    </div>
  );
}
