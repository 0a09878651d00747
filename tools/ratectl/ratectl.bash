# bash completion for ratectl(8)                              -*- shell-script -*-

_ratectl_classes()
{
	local root=${RATECTL_SYSFS_ROOT:-/sys/kernel/ratewin} dir
	for dir in "$root"/class*; do
		[[ -d $dir ]] && printf '%s\n' "${dir##*/class}"
	done
}

# The output columns a command lists in its --help.
_ratectl_columns()
{
	ratectl "$1" --help 2>/dev/null |
		sed -n '/^Available output columns:/,$ { /^ *[A-Z]/ { s/^ *\([^ ]*\).*/\1/; p } }'
}

_ratectl()
{
	local cur prev words cword
	_init_completion || return

	local commands="status watch members ps set hysteresis window enable disable
		reset run move classof apply save help"
	local table_opts="--output --output-all --noheadings --raw --pairs --json"
	local unit_opts="--bytes --units"
	local i cmd= first=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-R | --sysfs-root | --proc-root) ((i++)) ;;
		-*) ;;
		*)
			cmd=${words[i]}
			first=$i
			break
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		case $prev in
		-R | --sysfs-root | --proc-root)
			_filedir -d
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--sysfs-root --proc-root --help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local nargs=$((cword - first - 1))
	case $prev in
	-o | --output)
		compopt -o nospace
		local prefix=${cur%"${cur##*[,+]}"}
		COMPREPLY=($(compgen -P "$prefix" -W "$(_ratectl_columns "$cmd")" -- "${cur##*[,+]}"))
		return
		;;
	--units)
		COMPREPLY=($(compgen -W 'iec si bits bytes' -- "$cur"))
		return
		;;
	esac
	case $cmd in
	status)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$table_opts $unit_opts --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_ratectl_classes)" -- "$cur"))
		fi
		;;
	watch)
		case $prev in
		-i | --interval) COMPREPLY=($(compgen -W '0.5 1 2 5 500ms' -- "$cur")) ;;
		-c | --count) ;;
		*) COMPREPLY=($(compgen -W "--interval --count $table_opts $unit_opts --help --version" -- "$cur")) ;;
		esac
		;;
	members | ps)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$table_opts --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_ratectl_classes)" -- "$cur"))
		fi
		;;
	set)
		case $prev in
		--mode) COMPREPLY=($(compgen -W 'shared always' -- "$cur")) ;;
		--file | --net) COMPREPLY=($(compgen -W 'unlimited max' -- "$cur")) ;;
		*)
			if [[ $cur == -* || $nargs -gt 0 ]]; then
				COMPREPLY=($(compgen -W '--file --net --mode --help --version' -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_ratectl_classes)" -- "$cur"))
			fi
			;;
		esac
		;;
	hysteresis)
		case $prev in
		--high | --low) ;;
		*)
			if [[ $cur == -* || $nargs -gt 0 ]]; then
				COMPREPLY=($(compgen -W '--high --low --help --version' -- "$cur"))
			else
				COMPREPLY=($(compgen -W 'file net' -- "$cur"))
			fi
			;;
		esac
		;;
	window)
		case $prev in
		--events | --time | --min-sleep | --max-sleep) ;;
		*) COMPREPLY=($(compgen -W '--events --time --min-sleep --max-sleep --help --version' -- "$cur")) ;;
		esac
		;;
	enable | disable | apply | save)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
		elif [[ $cmd == apply || $cmd == save ]]; then
			_filedir
		fi
		;;
	reset)
		COMPREPLY=($(compgen -W "$(_ratectl_classes) --help --version" -- "$cur"))
		;;
	run)
		local skip=$((first + 1)) limited=
		while ((skip < cword)); do
			case ${words[skip]} in
			--file | --net | --mode | --class) limited=1; ((skip += 2)) ;;
			-*) ((skip++)) ;;
			*) break ;;
			esac
		done
		case $prev in
		--mode) COMPREPLY=($(compgen -W 'always shared' -- "$cur")); return ;;
		--class) COMPREPLY=($(compgen -W "$(_ratectl_classes)" -- "$cur")); return ;;
		--file | --net) return ;;
		esac
		if ((skip == cword)) && [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--file --net --mode --class -- --help --version' -- "$cur"))
		elif ((skip == cword)) && [[ -z $limited ]]; then
			COMPREPLY=($(compgen -W "0 $(_ratectl_classes)" -- "$cur"))
		else
			[[ -z $limited ]] && ((skip++))
			[[ ${words[skip]} == -- ]] && ((skip++))
			_command_offset $skip
		fi
		;;
	move)
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "0 $(_ratectl_classes)" -- "$cur"))
		else
			_pids
		fi
		;;
	classof)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--json --help --version' -- "$cur"))
		else
			_pids
			COMPREPLY+=($(compgen -W self -- "$cur"))
		fi
		;;
	help)
		((nargs == 0)) && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	esac
} &&
	complete -F _ratectl ratectl

# ex: filetype=sh
