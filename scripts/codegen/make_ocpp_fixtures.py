# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Write golden OCPP-J frames produced by a peer we did not write: the Python `ocpp` package.

Run through scripts/generate-ocpp-schemas.sh (needs the pinned `ocpp` package importable).
Each message is built from the package's own dataclasses (ocpp.v16.call / call_result,
ocpp.v201.call / call_result) and serialised exactly as the package puts it on the wire:

  CALL        ChargePoint.call():        snake_to_camel_case(serialize_as_dict(p)), remove_nones,
                                         Call(...).to_json()
  CALLRESULT  ChargePoint._handle_call(): remove_nones(serialize_as_dict(p)), snake_to_camel_case,
                                         CallResult(...).to_json()

and checked with the package's own schema validation before it is written. Output:
  <out>/v16/<Action>.json, <out>/v16/<Action>Response.json, and the same under v201/,
one frame per file (`[2,"id","Action",{...}]` or `[3,"id",{...}]`), byte for byte what the package
sends. Message ids are fixed so that regenerating gives identical files.
"""

import argparse
import os
import sys

from ocpp.charge_point import remove_nones, serialize_as_dict, snake_to_camel_case
from ocpp.messages import Call, CallResult, _validate_payload
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v16 import datatypes as dt16
from ocpp.v16 import enums as enums16
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from ocpp.v201 import datatypes as dt201
from ocpp.v201 import enums as enums201

T0 = "2026-03-14T09:26:53Z"
T1 = "2026-03-14T09:41:53.250Z"
T2 = "2026-03-14T10:26:53+01:00"


def v16_calls():
    yield call16.BootNotification(
        charge_point_model="Wallbox-22",
        charge_point_vendor="OpenVendor",
        charge_point_serial_number="WB22-000123",
        firmware_version="1.4.2",
        meter_type="EM340",
    )
    yield call16.Heartbeat()
    yield call16.Authorize(id_tag="04A2B3C4D5E6F7")
    yield call16.StatusNotification(
        connector_id=1,
        error_code=enums16.ChargePointErrorCode.no_error,
        status=enums16.ChargePointStatus.preparing,
        timestamp=T0,
    )
    yield call16.StartTransaction(connector_id=1, id_tag="04A2B3C4D5E6F7", meter_start=12345, timestamp=T0)
    yield call16.MeterValues(
        connector_id=1,
        transaction_id=42,
        meter_value=[
            dt16.MeterValue(
                timestamp=T1,
                sampled_value=[
                    dt16.SampledValue(
                        value="15432",
                        context=enums16.ReadingContext.sample_periodic,
                        measurand=enums16.Measurand.energy_active_import_register,
                        unit=enums16.UnitOfMeasure.wh,
                        location=enums16.Location.outlet,
                    ),
                    dt16.SampledValue(
                        value="16.2",
                        measurand=enums16.Measurand.current_import,
                        phase=enums16.Phase.l1,
                        unit=enums16.UnitOfMeasure.a,
                    ),
                ],
            )
        ],
    )
    yield call16.StopTransaction(
        meter_stop=19876,
        timestamp=T2,
        transaction_id=42,
        id_tag="04A2B3C4D5E6F7",
        reason=enums16.Reason.local,
        transaction_data=[
            dt16.MeterValue(
                timestamp=T2,
                sampled_value=[
                    dt16.SampledValue(
                        value="19876",
                        context=enums16.ReadingContext.transaction_end,
                        measurand=enums16.Measurand.energy_active_import_register,
                        unit=enums16.UnitOfMeasure.wh,
                    )
                ],
            )
        ],
    )
    yield call16.DataTransfer(vendor_id="com.example", message_id="Ping", data="{\"n\":1}")
    yield call16.SecurityEventNotification(type="StartupOfTheDevice", timestamp=T0, tech_info="cold boot")
    # CSMS -> station CALLs, as the package's Central System side would send them.
    yield call16.RemoteStartTransaction(
        id_tag="04A2B3C4D5E6F7",
        connector_id=1,
        charging_profile={
            "chargingProfileId": 7,
            "stackLevel": 0,
            "chargingProfilePurpose": enums16.ChargingProfilePurposeType.tx_profile,
            "chargingProfileKind": enums16.ChargingProfileKindType.relative,
            "chargingSchedule": {
                "chargingRateUnit": enums16.ChargingRateUnitType.amps,
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}, {"startPeriod": 600, "limit": 10.5}],
            },
        },
    )
    yield call16.ChangeConfiguration(key="HeartbeatInterval", value="300")


def v16_results():
    yield "GetConfiguration", result16.GetConfiguration(
        configuration_key=[
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
            {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
        ],
        unknown_key=["Foo"],
    )
    yield "RemoteStartTransaction", result16.RemoteStartTransaction(status=enums16.RemoteStartStopStatus.accepted)


def v201_calls():
    yield call201.BootNotification(
        charging_station=dt201.ChargingStationType(
            vendor_name="OpenVendor", model="Wallbox-22", serial_number="WB22-000123", firmware_version="2.0.1-r7"
        ),
        reason=enums201.BootReasonEnumType.power_up,
    )
    yield call201.Heartbeat()
    yield call201.StatusNotification(
        timestamp=T0, connector_status=enums201.ConnectorStatusEnumType.available, evse_id=1, connector_id=1
    )
    yield call201.Authorize(id_token=dt201.IdTokenType(id_token="04A2B3C4D5E6F7", type=enums201.IdTokenEnumType.iso14443))
    yield call201.TransactionEvent(
        event_type=enums201.TransactionEventEnumType.started,
        timestamp=T0,
        trigger_reason=enums201.TriggerReasonEnumType.cable_plugged_in,
        seq_no=0,
        transaction_info=dt201.TransactionType(
            transaction_id="f2b1c0de-1111-4a2b-9c3d-0123456789ab",
            charging_state=enums201.ChargingStateEnumType.ev_connected,
        ),
        evse=dt201.EVSEType(id=1, connector_id=1),
        id_token=dt201.IdTokenType(id_token="04A2B3C4D5E6F7", type=enums201.IdTokenEnumType.iso14443),
        meter_value=[
            dt201.MeterValueType(
                timestamp=T0,
                sampled_value=[
                    dt201.SampledValueType(
                        value=12345.0,
                        context=enums201.ReadingContextEnumType.transaction_begin,
                        measurand=enums201.MeasurandEnumType.energy_active_import_register,
                        unit_of_measure=dt201.UnitOfMeasureType(unit="Wh", multiplier=0),
                    )
                ],
            )
        ],
    )
    yield call201.TransactionEvent(
        event_type=enums201.TransactionEventEnumType.ended,
        timestamp=T1,
        trigger_reason=enums201.TriggerReasonEnumType.stop_authorized,
        seq_no=3,
        transaction_info=dt201.TransactionType(
            transaction_id="f2b1c0de-1111-4a2b-9c3d-0123456789ab",
            stopped_reason=enums201.ReasonEnumType.local,
        ),
        meter_value=[
            dt201.MeterValueType(
                timestamp=T1,
                sampled_value=[
                    dt201.SampledValueType(
                        value=19876.5,
                        context=enums201.ReadingContextEnumType.transaction_end,
                        measurand=enums201.MeasurandEnumType.energy_active_import_register,
                    )
                ],
            )
        ],
    )
    yield call201.NotifyReport(
        request_id=5,
        generated_at=T0,
        seq_no=0,
        tbc=False,
        report_data=[
            dt201.ReportDataType(
                component=dt201.ComponentType(name="OCPPCommCtrlr"),
                variable=dt201.VariableType(name="HeartbeatInterval"),
                variable_attribute=[
                    dt201.VariableAttributeType(
                        type=enums201.AttributeEnumType.actual,
                        value="300",
                        mutability=enums201.MutabilityEnumType.read_write,
                        persistent=True,
                        constant=False,
                    )
                ],
                variable_characteristics=dt201.VariableCharacteristicsType(
                    data_type=enums201.DataEnumType.integer, supports_monitoring=False, unit="s"
                ),
            ),
            dt201.ReportDataType(
                component=dt201.ComponentType(name="EVSE", evse=dt201.EVSEType(id=1)),
                variable=dt201.VariableType(name="Power", instance="Max"),
                variable_attribute=[dt201.VariableAttributeType(value="22000")],
            ),
        ],
    )
    yield call201.MeterValues(
        evse_id=1,
        meter_value=[
            dt201.MeterValueType(
                timestamp=T1,
                sampled_value=[
                    dt201.SampledValueType(
                        value=230.1, measurand=enums201.MeasurandEnumType.voltage, phase=enums201.PhaseEnumType.l1_n
                    )
                ],
            )
        ],
    )
    # CSMS -> station CALLs.
    yield call201.GetVariables(
        get_variable_data=[
            dt201.GetVariableDataType(
                component=dt201.ComponentType(name="OCPPCommCtrlr"),
                variable=dt201.VariableType(name="HeartbeatInterval"),
            ),
            dt201.GetVariableDataType(
                component=dt201.ComponentType(name="EVSE", evse=dt201.EVSEType(id=1)),
                variable=dt201.VariableType(name="Power"),
                attribute_type=enums201.AttributeEnumType.max_set,
            ),
        ]
    )
    yield call201.RequestStartTransaction(
        id_token=dt201.IdTokenType(id_token="04A2B3C4D5E6F7", type=enums201.IdTokenEnumType.central),
        remote_start_id=17,
        evse_id=1,
    )


def v201_results():
    yield "GetVariables", result201.GetVariables(
        get_variable_result=[
            dt201.GetVariableResultType(
                attribute_status=enums201.GetVariableStatusEnumType.accepted,
                component=dt201.ComponentType(name="OCPPCommCtrlr"),
                variable=dt201.VariableType(name="HeartbeatInterval"),
                attribute_value="300",
            ),
            dt201.GetVariableResultType(
                attribute_status=enums201.GetVariableStatusEnumType.unknown_variable,
                component=dt201.ComponentType(name="EVSE", evse=dt201.EVSEType(id=1)),
                variable=dt201.VariableType(name="Power"),
                attribute_type=enums201.AttributeEnumType.max_set,
            ),
        ]
    )
    yield "RequestStartTransaction", result201.RequestStartTransaction(
        status=enums201.RequestStartStopStatusEnumType.accepted
    )


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output folder (Tests/Fixtures/ocpp)")
    args = parser.parse_args()

    written = 0
    for folder, version, calls, results in (
        ("v16", "1.6", v16_calls, v16_results),
        ("v201", "2.0.1", v201_calls, v201_results),
    ):
        out_dir = os.path.join(args.out, folder)
        if os.path.isdir(out_dir):
            for name in os.listdir(out_dir):
                if name.endswith(".json"):
                    os.remove(os.path.join(out_dir, name))
        seen = {}
        for number, payload in enumerate(calls(), start=1):
            action = payload.__class__.__name__
            # The same steps as ChargePoint.call() in ocpp 2.1.0.
            camel_case_payload = snake_to_camel_case(serialize_as_dict(payload))
            message = Call(unique_id=f"{folder}-{number:03d}", action=action, payload=remove_nones(camel_case_payload))
            _validate_payload(message, version)
            seen[action] = seen.get(action, 0) + 1
            name = action if seen[action] == 1 else f"{action}-{seen[action]}"
            write(os.path.join(out_dir, f"{name}.json"), message.to_json())
            written += 1
        for number, (action, payload) in enumerate(results(), start=1):
            # The same steps as ChargePoint._handle_call() in ocpp 2.1.0.
            response_payload = remove_nones(serialize_as_dict(payload))
            camel_case_payload = snake_to_camel_case(response_payload)
            message = CallResult(unique_id=f"{folder}-r{number:03d}", payload=camel_case_payload, action=action)
            _validate_payload(message, version)
            write(os.path.join(out_dir, f"{action}Response.json"), message.to_json())
            written += 1
    print(f"make_ocpp_fixtures: {written} frames in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
