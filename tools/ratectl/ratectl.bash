# bash completion for ratectl(8)                              -*- shell-script -*-

_ratectl_classes()
{
	local root=${RATECTL_SYSFS_ROOT:-/sys/kernel/ratewin} dir
	for dir in "$root"/class*; do
		[[ -d $dir ]] && printf '%s\n' "${dir##*/class}"
	done
}

_ratectl()
{
	local cur prev words cword
	_init_completion || return

	local commands="status watch set hysteresis window run move classof apply save"
	local i cmd= first=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-r | --sysfs-root) ((i++)) ;;
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
		-r | --sysfs-root)
			_filedir -d
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--sysfs-root --help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local nargs=$((cword - first - 1))
	case $cmd in
	status)
		COMPREPLY=($(compgen -W '--json --bytes --help --version' -- "$cur"))
		;;
	watch)
		case $prev in
		-i | --interval) COMPREPLY=($(compgen -W '100ms 500ms 1s 5s' -- "$cur")) ;;
		-c | --count) ;;
		*) COMPREPLY=($(compgen -W '--interval --count --json --bytes --help --version' -- "$cur")) ;;
		esac
		;;
	set)
		case $prev in
		--mode) COMPREPLY=($(compgen -W 'shared always' -- "$cur")) ;;
		--file | --net) COMPREPLY=($(compgen -W 'unlimited' -- "$cur")) ;;
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
	run)
		if ((nargs == 0)); then
			COMPREPLY=($(compgen -W "0 $(_ratectl_classes)" -- "$cur"))
		else
			local skip=$((first + 2))
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
		_pids
		;;
	apply | save)
		_filedir
		;;
	esac
} &&
	complete -F _ratectl ratectl

# ex: filetype=sh
